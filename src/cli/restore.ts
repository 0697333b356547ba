/** `npm run restore -- FILE`: see backup.ts. */
import { runBackupCli } from './backup';

if (require.main === module) void runBackupCli('restore');
