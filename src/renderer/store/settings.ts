import { create } from 'zustand';
import type {
  ConnectionTest,
  HidDevice,
  SecretKey,
  SettingsPatch,
  SettingsView,
  SystemId,
} from '../../shared/contract';
import { api, errorMessage, fieldIssues } from '../api';
import type { FieldIssue } from '../api/client';
import { sectionPath, type Section } from '../settingsIssues';
import { useApp } from './app';

export type { Section };

export interface SaveResult {
  ok: boolean;
  /** For secrets: what succeeded. */
  action?: 'saved' | 'cleared';
  message: string | null;
  issues: FieldIssue[];
}

export interface SettingsState {
  view: SettingsView | null;
  loadError: string | null;
  /** Per section: the last save's result (errors stay next to the form until the next save). */
  saves: Partial<Record<Section, SaveResult>>;
  secretResults: Partial<Record<SecretKey, SaveResult>>;
  tests: Partial<Record<SystemId, ConnectionTest | { system: SystemId; pending: true } | { system: SystemId; error: string }>>;
  devices: HidDevice[] | null;
  devicesError: string | null;
  /**
   * Unsaved edits per section, field by field, over the engine's values. Kept here, not in the
   * form, so that leaving the screen (F1–F4, or a scan that brings the register up) loses nothing.
   */
  drafts: Partial<Record<Section, Record<string, unknown>>>;
}

export const useSettings = create<SettingsState>()(() => ({
  view: null,
  loadError: null,
  saves: {},
  secretResults: {},
  tests: {},
  devices: null,
  devicesError: null,
  drafts: {},
}));

const set = useSettings.setState;
const get = useSettings.getState;

/** Take a settings view from the engine (call result or `settings` event). */
export function applySettingsView(view: SettingsView): void {
  set({ view, loadError: null });
  useApp.setState({ language: view.settings.register.language });
}

export async function loadSettings(): Promise<void> {
  try {
    applySettingsView(await api().call('settings.get', {}));
  } catch (e) {
    set({ loadError: errorMessage(e) });
  }
}

/** Issues of a section, with the section name taken off the path ("smaregi.apiBaseUrl" → "apiBaseUrl"). */
export function sectionIssues(section: Section, issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ path: sectionPath(section, i.path), message: i.message }));
}

/** One edit of a section's form. Only edited fields are kept: the others follow the engine's values. */
export function editDraft(section: Section, key: string, value: unknown): void {
  const drafts = get().drafts;
  set({ drafts: { ...drafts, [section]: { ...drafts[section], [key]: value } } });
}

/** The section was saved (or its edits dropped): the form shows the engine's values again. */
export function dropDraft(section: Section): void {
  const { [section]: _dropped, ...rest } = get().drafts;
  set({ drafts: rest });
}

/** A check made before sending (e.g. a hex field that is not hex): shown like the engine's own issues. */
export function setLocalIssues(section: Section, issues: FieldIssue[]): void {
  set({ saves: { ...get().saves, [section]: { ok: false, message: null, issues } } });
}

export async function saveSection(section: Section, patch: NonNullable<SettingsPatch[Section]>): Promise<boolean> {
  try {
    const view = await api().call('settings.update', { [section]: patch } as SettingsPatch);
    applySettingsView(view);
    set({ saves: { ...get().saves, [section]: { ok: true, message: null, issues: [] } } });
    return true;
  } catch (e) {
    set({
      saves: { ...get().saves, [section]: { ok: false, message: errorMessage(e), issues: sectionIssues(section, fieldIssues(e)) } },
    });
    return false;
  }
}

export async function setLanguage(language: 'ja' | 'en'): Promise<void> {
  const before = useApp.getState().language;
  useApp.setState({ language }); // at once; the engine's answer confirms it
  try {
    applySettingsView(await api().call('settings.update', { register: { language } }));
  } catch (e) {
    // Not persisted (engine away): keep the choice for this session and say why in the console.
    console.warn('Language not saved:', errorMessage(e), '(was', before, ')');
  }
}

export async function saveSecret(key: SecretKey, value: string): Promise<boolean> {
  try {
    applySettingsView(await api().call('secrets.set', { key, value }));
    set({ secretResults: { ...get().secretResults, [key]: { ok: true, action: 'saved', message: null, issues: [] } } });
    return true;
  } catch (e) {
    set({ secretResults: { ...get().secretResults, [key]: { ok: false, message: errorMessage(e), issues: [] } } });
    return false;
  }
}

export async function clearSecret(key: SecretKey): Promise<void> {
  try {
    applySettingsView(await api().call('secrets.clear', { key }));
    set({ secretResults: { ...get().secretResults, [key]: { ok: true, action: 'cleared', message: null, issues: [] } } });
  } catch (e) {
    set({ secretResults: { ...get().secretResults, [key]: { ok: false, message: errorMessage(e), issues: [] } } });
  }
}

export async function testConnection(system: SystemId): Promise<void> {
  set({ tests: { ...get().tests, [system]: { system, pending: true } } });
  try {
    const result = await api().call('settings.testConnection', { system });
    set({ tests: { ...get().tests, [system]: result } });
  } catch (e) {
    set({ tests: { ...get().tests, [system]: { system, error: errorMessage(e) } } });
  }
}

export async function loadDevices(): Promise<void> {
  try {
    set({ devices: await api().call('scanner.devices', {}), devicesError: null });
  } catch (e) {
    set({ devicesError: errorMessage(e) });
  }
}
