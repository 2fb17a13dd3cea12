/** Stable machine-readable codes carried by every {@link LocalError}. */
export type LocalErrorCode = 'INVALID_OPTION' | 'PROXY_NOT_LISTENING';

/**
 * Base class of every error the local AWS tools throw. Check `code`, not the message:
 * codes are stable, messages are for people.
 */
export class LocalError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: LocalErrorCode;

  constructor(code: LocalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalError';
    this.code = code;
  }
}

/** An option given to a proxy is out of range or of the wrong kind (`INVALID_OPTION`). */
export class InvalidProxyOptionError extends LocalError {
  /** Name of the offending option, e.g. `faults.throttle`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', `${option}: ${message}`);
    this.name = 'InvalidProxyOptionError';
    this.option = option;
  }
}

/** A proxy was asked for its endpoint before `start()` resolved, or after `close()` (`PROXY_NOT_LISTENING`). */
export class ProxyNotListeningError extends LocalError {
  constructor(message: string) {
    super('PROXY_NOT_LISTENING', message);
    this.name = 'ProxyNotListeningError';
  }
}
