// dynalite ships no types; this is the part of its API the bench uses.
declare module 'dynalite' {
  import type { AddressInfo } from 'node:net';

  interface DynaliteServer {
    listen(port: number, host: string, callback: () => void): void;
    address(): AddressInfo | string | null;
    close(callback?: (error?: Error) => void): void;
  }

  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
  }

  function dynalite(options?: DynaliteOptions): DynaliteServer;
  export default dynalite;
}
