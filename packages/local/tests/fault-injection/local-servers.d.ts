// dynalite and kinesalite ship no type declarations; this is the part of them the tests use.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }): Server;
  export default dynalite;
}

declare module 'kinesalite' {
  import type { Server } from 'node:http';

  function kinesalite(options?: {
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
  }): Server;
  export default kinesalite;
}
