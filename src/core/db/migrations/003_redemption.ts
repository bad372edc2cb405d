import type { Migration } from './index';

// Placeholder: filled in by the redemption work.
export const redemption: Migration = {
  version: 3,
  name: 'redemption',
  up: '',
};
