import type { Migration } from './index';

// Placeholder: filled in by the catalog work.
export const catalog: Migration = {
  version: 2,
  name: 'catalog',
  up: '',
};
