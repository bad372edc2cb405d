import { ContractError } from '../../shared/contract/envelope';
import { SecretKeySchema, type SecretKey, type SettingsView } from '../../shared/contract/settings';
import type { SystemId } from '../../shared/contract/status';
import type { Channel } from '../channels/types';
import type { EngineContext, EngineModule } from '../context';
import { maskSecret } from '../secrets';

/** settings.*, secrets.* and "test connection": the store manager's settings screen. */
export function createSettingsModule(ctx: EngineContext, channels: Channel[]): EngineModule & { view(): Promise<SettingsView> } {
  async function view(): Promise<SettingsView> {
    const store = await ctx.secrets.check();
    const secrets = {} as SettingsView['secrets'];
    for (const key of SecretKeySchema.options) {
      let value: string | null = null;
      if (store.available) {
        try {
          value = await ctx.secret(key);
        } catch {
          value = null;
        }
      }
      secrets[key] = maskSecret(value);
    }
    return { settings: ctx.settings.get(), secrets, secretStore: store };
  }

  const publish = async () => {
    const v = await view();
    ctx.emit('settings', v);
    return v;
  };

  return {
    name: 'settings',
    view,
    handlers: {
      'settings.get': () => view(),
      'settings.update': async (patch) => {
        ctx.intake.write(() => ctx.settings.update(patch));
        return publish();
      },
      'secrets.set': async ({ key, value }) => {
        await ctx.secrets.set(key as SecretKey, value);
        ctx.log.redact(value);
        ctx.log.info('secret saved', { key });
        return publish();
      },
      'secrets.clear': async ({ key }) => {
        await ctx.secrets.delete(key);
        ctx.log.info('secret cleared', { key });
        return publish();
      },
      'settings.testConnection': async ({ system }) => {
        const channel = channels.find((c) => c.id === (system as SystemId));
        if (!channel) throw new ContractError('not_found', `No connection for ${system} in this version`);
        if (!channel.configured()) return { system, ok: false, latencyMs: null, message: '未設定です / not configured' };
        const r = await channel.probe({ auth: true });
        return { system, ok: r.ok, latencyMs: r.latencyMs, message: r.message };
      },
    },
  };
}
