import { buildServer } from './build-server.js';

await buildServer();
process.stdout.write('server: dist/cli.js, dist/index.js\n');
