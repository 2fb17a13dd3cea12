import { Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { InvalidSettingError } from './errors.js';

/** Settings of {@link ViewerSignIn}; all have defaults. */
export interface ViewerSignInProps {
  /**
   * Prefix of the managed login domain, `https://<prefix>.auth.<region>.amazoncognito.com`: lowercase
   * letters, digits and hyphens, unique in the region, without `aws`, `amazon` or `cognito`. Default
   * `secondrow-` and the first 8 hex digits of the stack's id.
   */
  domainPrefix?: string;
  /** Keep the user pool (and its users) when the stack is deleted. Default true. */
  retainUserPool?: boolean;
}

/** OAuth scopes the viewer asks for: who the user is, nothing else. */
export const VIEWER_OAUTH_SCOPES = ['openid', 'email'] as const;

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Who may look: a Cognito user pool where only an administrator creates users (self sign-up off), who
 * sign in with their email address, with optional TOTP MFA; a public app client (no secret, the
 * authorization-code flow with PKCE, as a browser page needs) and the managed login pages on a Cognito
 * domain. The client's redirect URLs are set by {@link ViewerSignIn.allowRedirectsTo} once the viewer's URL
 * is known.
 *
 * @throws {InvalidSettingError} at construction when `domainPrefix` is malformed.
 */
export class ViewerSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.CfnUserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  private redirectsSet = false;

  constructor(scope: Construct, id: string, props: ViewerSignInProps = {}) {
    super(scope, id);
    const { domainPrefix } = props;
    if (
      domainPrefix !== undefined &&
      (!DOMAIN_PREFIX.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix))
    ) {
      throw new InvalidSettingError(
        'viewerDomainPrefix',
        `viewerDomainPrefix must be 1 to 63 lowercase letters, digits and inner hyphens, without aws, amazon or cognito, got ${JSON.stringify(domainPrefix)}`,
      );
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 12 },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: (props.retainUserPool ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // L1: the redirect URLs (and so the OAuth settings, which Cognito refuses without them) are applied by
    // allowRedirectsTo, after the distribution exists; see there.
    this.client = new cognito.CfnUserPoolClient(this, 'Client', {
      userPoolId: this.userPool.userPoolId,
      ...clientSettings(),
    });

    const stackGuid = Fn.select(2, Fn.split('/', Stack.of(this).stackId));
    this.domain = new cognito.UserPoolDomain(this, 'Domain', {
      userPool: this.userPool,
      cognitoDomain: {
        domainPrefix: domainPrefix ?? Fn.join('-', ['secondrow', Fn.select(0, Fn.split('-', stackGuid))]),
      },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    // Managed login shows a page only for clients with a style; Cognito's default style.
    new cognito.CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.ref,
      useCognitoProvidedValues: true,
    });
  }

  /** The managed login base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  get baseUrl(): string {
    return this.domain.baseUrl();
  }

  /**
   * Lets the managed login send users back to `url` (after sign-in and sign-out) with an authorization
   * code. The client cannot name the distribution's URL itself: the query function needs the client's id,
   * the distribution needs the function's URL, so the client referring to the distribution would close a
   * loop CloudFormation refuses. A custom resource sets the URLs with `UpdateUserPoolClient` after the
   * distribution exists; it passes every setting of the client, because that call resets what it omits.
   * Call it once.
   *
   * @param url - e.g. `https://d111111abcdef8.cloudfront.net/` (a token).
   */
  allowRedirectsTo(url: string): void {
    if (this.redirectsSet) throw new Error('allowRedirectsTo was already called');
    this.redirectsSet = true;
    const settings = {
      UserPoolId: this.userPool.userPoolId,
      ClientId: this.client.ref,
      ...pascalCase(clientSettings()),
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: [...VIEWER_OAUTH_SCOPES],
      CallbackURLs: [url],
      LogoutURLs: [url],
    };
    const call: cr.AwsSdkCall = {
      service: 'CognitoIdentityProvider',
      action: 'UpdateUserPoolClient',
      parameters: settings,
      physicalResourceId: cr.PhysicalResourceId.of(this.client.ref),
    };
    new cr.AwsCustomResource(this, 'ClientRedirects', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['cognito-idp:UpdateUserPoolClient'],
          resources: [this.userPool.userPoolArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}

/** What the client is, apart from OAuth: the same in CloudFormation and in `UpdateUserPoolClient`. */
function clientSettings() {
  return {
    clientName: 'secondrow-viewer',
    generateSecret: false,
    // Sign-in happens on the managed login pages only; the page renews its tokens with the refresh token.
    explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    supportedIdentityProviders: ['COGNITO'],
    preventUserExistenceErrors: 'ENABLED',
    enableTokenRevocation: true,
  };
}

/** `UpdateUserPoolClient` takes the CloudFormation names capitalised (and no `GenerateSecret`). */
function pascalCase(settings: ReturnType<typeof clientSettings>): Record<string, unknown> {
  const { generateSecret: _, ...rest } = settings;
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key[0]!.toUpperCase() + key.slice(1), value]),
  );
}
