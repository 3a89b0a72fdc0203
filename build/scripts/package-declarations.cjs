// electron-builder afterPack hook used by `npm run check:package` (and only there): writes what the
// Linux packages would declare, computed by electron-builder's own LinuxTargetHelper (the code the
// AppImage and deb targets run, whose tools cannot be downloaded here), into
// $HOIST_DECLARATIONS_DIR: hoist.desktop and icons.json.
const { writeFile } = require('node:fs/promises');
const { join } = require('node:path');

exports.default = async function writeDeclarations(context) {
  const out = process.env.HOIST_DECLARATIONS_DIR;
  if (!out || context.electronPlatformName !== 'linux') return;
  const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper');
  const helper = new LinuxTargetHelper(context.packager);
  await helper.writeDesktopEntry(context.packager.platformSpecificBuildOptions, undefined, join(out, 'hoist.desktop'));
  await writeFile(join(out, 'icons.json'), JSON.stringify(await helper.icons));
};
