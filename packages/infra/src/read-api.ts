import { COGNITO_AUTH_ENV } from '@secondrow/query';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { requireBuildOutput } from './bundle-paths.js';

/** Settings of {@link ReadApi}. */
export interface ReadApiProps {
  /** The bundled query function: a directory holding `index.mjs` (`../query/dist-lambda`). */
  codePath: string;
  /** The row table the function reads. */
  table: dynamodb.Table;
  /** The user pool whose tokens the function accepts (`COGNITO_USER_POOL_ID`). */
  userPoolId: string;
  /** The app client the tokens must be issued to (`COGNITO_CLIENT_ID`). */
  userPoolClientId: string;
  /** Extra environment variables, e.g. `WINDOW_SECONDS`; they cannot replace the table or Cognito ids. */
  environment?: Record<string, string>;
  /** Function memory in MB: CPU grows with it, and a day's envelope is CPU-bound. Default 1024. */
  memorySize?: number;
  /** Function timeout in seconds; below CloudFront's 30 s origin timeout. Default 25. */
  timeoutSeconds?: number;
  /** Log retention of the function. Default one month. */
  logRetention?: logs.RetentionDays;
}

/** The only DynamoDB actions the query function may perform, on the row table only: it reads, never writes. */
export const READ_API_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem'] as const;

/**
 * The read side of the viewer: the `@secondrow/query` function (bundled `dist-lambda/index.mjs`,
 * nodejs22.x, arm64) behind a Function URL that only signed requests may call (`AWS_IAM`: CloudFront's
 * origin access control is the one caller allowed, see `ViewerHosting`), with read-only access to the row
 * table and the Cognito ids its entry reads to check every caller's token.
 *
 * @throws {BundleMissingError} at construction when `codePath` holds no `index.mjs`.
 * @example
 * new ReadApi(stack, 'ReadApi', { codePath: '../query/dist-lambda', table, userPoolId, userPoolClientId });
 */
export class ReadApi extends Construct {
  readonly function: lambda.Function;
  /** `AWS_IAM`: anonymous calls are refused by Lambda before the code runs. */
  readonly functionUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ReadApiProps) {
    super(scope, id);
    requireBuildOutput({
      path: props.codePath,
      entry: 'index.mjs',
      what: 'query Lambda bundle',
      command: 'pnpm --filter @secondrow/query bundle',
      writes: 'packages/query/dist-lambda/index.mjs',
    });

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.function = new lambda.Function(this, 'Function', {
      description: 'secondrow query: envelopes, raw samples and gaps for the viewer, signed-in users only',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codePath),
      memorySize: props.memorySize ?? 1024,
      timeout: Duration.seconds(props.timeoutSeconds ?? 25),
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        [COGNITO_AUTH_ENV.userPoolId]: props.userPoolId,
        [COGNITO_AUTH_ENV.clientId]: props.userPoolClientId,
        [COGNITO_AUTH_ENV.tokenUse]: 'access',
      },
    });

    // Read-only, on the row table alone (no Scan, no writes, no other table).
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...READ_API_TABLE_ACTIONS], resources: [props.table.tableArn] }),
    );

    this.functionUrl = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }
}
