import { ConfigError, type ConsumerConfig, DEFAULT_CONFIG, loadConfig } from '@secondrow/consumer';
import { ConsumerConfigError } from './errors.js';

/** The stack settings that become environment variables of the consumer function. */
export interface ConsumerEnvironmentSettings {
  /** Name of the row table (a CDK token is fine: the consumer only needs it non-empty). */
  tableName: string;
  /** `WINDOW_SECONDS`. Default: the consumer's `DEFAULT_CONFIG.windowSeconds`. */
  windowSeconds?: number;
  /** `TTL_SECONDS`. Default: unset (rows never expire). */
  ttlSeconds?: number;
  /** Extra variables; they override the ones above. */
  environment?: Record<string, string>;
}

/** The function's environment and the configuration the consumer will read from it. */
export interface ConsumerEnvironment {
  /** The variables, exactly as deployed. */
  environment: Record<string, string>;
  /** What `loadConfig` of `@secondrow/consumer` makes of them: the names of the tables, the metrics namespace. */
  config: ConsumerConfig;
}

/** Settings (and context keys) that produce a variable, for error messages. */
const SETTING_OF_VARIABLE: Readonly<Record<string, string>> = {
  TABLE_NAME: 'table',
  WINDOW_SECONDS: 'windowSeconds',
  TTL_SECONDS: 'ttlSeconds',
};

/**
 * Builds the consumer function's final environment and validates it with the consumer's own `loadConfig`, the
 * function that reads it on every cold start, so a configuration the function would reject fails the synth
 * instead of every invocation.
 *
 * @returns The environment and the configuration it yields.
 * @throws {ConsumerConfigError} naming the variable and the setting (context key) that set it, with the
 *   consumer's `ConfigError` as `cause`.
 * @example
 * const { environment, config } = consumerEnvironment({ tableName: table.tableName, windowSeconds: 1 });
 */
export function consumerEnvironment(settings: ConsumerEnvironmentSettings): ConsumerEnvironment {
  const environment: Record<string, string> = {
    TABLE_NAME: settings.tableName,
    WINDOW_SECONDS: String(settings.windowSeconds ?? DEFAULT_CONFIG.windowSeconds),
    ...(settings.ttlSeconds === undefined ? {} : { TTL_SECONDS: String(settings.ttlSeconds) }),
    POWERTOOLS_SERVICE_NAME: DEFAULT_CONFIG.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: DEFAULT_CONFIG.metricsNamespace,
    // The bundle ships its source map; stack traces then name the TypeScript sources.
    NODE_OPTIONS: '--enable-source-maps',
    ...settings.environment,
  };
  try {
    return { environment, config: loadConfig(environment) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const variable = error.variable;
    const setting =
      settings.environment?.[variable] !== undefined
        ? `environment.${variable}`
        : (SETTING_OF_VARIABLE[variable] ?? `environment.${variable}`);
    throw new ConsumerConfigError(
      variable,
      setting,
      `${setting} sets ${variable}=${JSON.stringify(environment[variable] ?? '')}, which the consumer ` +
        `rejects on every invocation: ${error.message}`,
      { cause: error },
    );
  }
}

/**
 * The tables the consumer writes, from its configuration: the row table and, when it is another one, the
 * quarantine table.
 *
 * @returns Distinct table names, the row table first.
 */
export function tablesWritten(config: Pick<ConsumerConfig, 'tableName' | 'quarantineTableName'>): string[] {
  return [...new Set([config.tableName, config.quarantineTableName])];
}
