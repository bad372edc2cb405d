import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * Application menu. macOS needs one for the standard shortcuts (copy/paste in inputs, hide, quit);
 * on Windows/Linux the window has no menu bar — a till app has no use for one — except while
 * developing, where reload and DevTools are handy.
 */
export function installAppMenu(opts: { dev: boolean; onOpen(): void }): void {
  const devMenu: MenuItemConstructorOptions[] = opts.dev
    ? [{ label: '表示', submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }] }]
    : [];
  if (process.platform !== 'darwin') {
    Menu.setApplicationMenu(opts.dev ? Menu.buildFromTemplate(devMenu) : null);
    return;
  }
  const template: MenuItemConstructorOptions[] = [
    {
      role: 'appMenu',
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', label: '終了' }],
    },
    { role: 'editMenu' },
    ...devMenu,
    {
      role: 'windowMenu',
      submenu: [{ label: '開く', click: () => opts.onOpen() }, { role: 'minimize' }, { role: 'close' }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
