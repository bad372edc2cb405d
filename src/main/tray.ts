import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { trayIconFile, trayMenu, type TrayAction, type TrayView } from './tray-state';

export interface TrayController {
  show(view: TrayView): void;
  destroy(): void;
}

/**
 * Owns the Tray: icon, tooltip and menu are redrawn from a TrayView (tray-state.ts decides what
 * it says). The icon follows the bar's theme and changes with it.
 */
export function createTray(opts: { resourcesDir: string; initial: TrayView; onAction(action: TrayAction): void }): TrayController {
  let view = opts.initial;

  // Windows: the taskbar has its own theme, separate from the apps' one.
  const dark = () => (process.platform === 'win32' ? nativeTheme.shouldUseDarkColorsForSystemIntegratedUI : nativeTheme.shouldUseDarkColors);

  const icon = () => {
    const { file, template } = trayIconFile(view.state, { platform: process.platform, dark: dark() });
    const image = nativeImage.createFromPath(join(opts.resourcesDir, file));
    if (template) image.setTemplateImage(true);
    return image;
  };

  const tray = new Tray(icon());
  let lastKey = '';

  const render = (force = false) => {
    const key = JSON.stringify(view);
    if (!force && key === lastKey) return;
    lastKey = key;
    tray.setImage(icon());
    tray.setToolTip(view.tooltip);
    const template: MenuItemConstructorOptions[] = trayMenu(view).map((item) =>
      item.type === 'separator'
        ? { type: 'separator' }
        : { label: item.label, enabled: item.enabled, click: item.action ? () => opts.onAction(item.action as TrayAction) : undefined },
    );
    tray.setContextMenu(Menu.buildFromTemplate(template));
  };

  const onTheme = () => render(true);
  nativeTheme.on('updated', onTheme);
  // Windows/Linux: a left click opens the window (macOS shows the menu on click by itself).
  if (process.platform !== 'darwin') tray.on('click', () => opts.onAction('open'));
  render(true);

  return {
    show(next) {
      view = next;
      render();
    },
    destroy() {
      nativeTheme.off('updated', onTheme);
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
