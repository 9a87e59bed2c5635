// @hocuspocus/server with its defaults (no extensions, in memory), on PORT.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 1234), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`hocuspocus listening on ${process.env.PORT}`);
