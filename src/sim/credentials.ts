/**
 * The simulators' published test credentials. They are not secrets: they are printed in
 * docs/simulators.md, accepted only by our simulators, and used by demo mode and `connect-sim`
 * (settings credentialSource = "simulator") so that neither needs the OS keychain.
 */
export const SIM_CREDENTIALS = {
  smaregi: { contractId: 'sb_sim0001', clientId: 'sim-client-id', clientSecret: 'sim-client-secret' },
  giftee: { accessToken: 'sim-giftee-token' },
} as const;
