import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  addFiles(): void;
  addFolder(): void;
  openSettings(): void;
  revealLogs(): void;
  about(): void;
}

/** The native menu, with each platform's conventions (macOS: an app menu; others: File). */
export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const addFiles: MenuItemConstructorOptions = {
    label: 'Add Files…',
    accelerator: 'CmdOrCtrl+O',
    click: actions.addFiles,
  };
  const addFolder: MenuItemConstructorOptions = {
    label: 'Add Folder…',
    accelerator: 'CmdOrCtrl+Shift+O',
    click: actions.addFolder,
  };
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Preferences…',
    accelerator: 'CmdOrCtrl+,',
    click: actions.openSettings,
  };
  const about: MenuItemConstructorOptions = { label: 'About Hoist', click: actions.about };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Reveal Logs', click: actions.revealLogs },
      ...(mac ? [] : [{ type: 'separator' as const }, about]),
    ],
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  if (mac) {
    return [
      {
        label: 'Hoist',
        submenu: [
          about,
          { type: 'separator' },
          settings,
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { label: 'File', submenu: [addFiles, addFolder, { type: 'separator' }, { role: 'close' }] },
      edit,
      { role: 'windowMenu' },
      help,
    ];
  }
  return [
    {
      label: '&File',
      submenu: [addFiles, addFolder, settings, { type: 'separator' }, { role: 'quit', accelerator: 'Ctrl+Q' }],
    },
    edit,
    { label: '&Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
    help,
  ];
}
