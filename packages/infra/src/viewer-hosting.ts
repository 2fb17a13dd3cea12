import { FORWARDED_AUTHORIZATION_HEADER } from '@secondrow/query';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { requireBuildOutput } from './bundle-paths.js';
import type { ReadApi } from './read-api.js';
import { VIEWER_OAUTH_SCOPES, type ViewerSignIn } from './viewer-sign-in.js';

/** Settings of {@link ViewerHosting}. */
export interface ViewerHostingProps {
  /** The built viewer page: a directory holding `index.html` (`../viewer/dist`). */
  pagePath: string;
  /** The query function served under `/api/*`. */
  api: ReadApi;
  /** The sign-in the page uses; `config.json` tells the page where it is. */
  signIn: ViewerSignIn;
  /** Edge locations serving the page. Default `PRICE_CLASS_100` (North America, Europe, Israel). */
  priceClass?: cloudfront.PriceClass;
}

/** Longest time CloudFront keeps an API response that asks to be cached (`public, max-age`), seconds. */
export const API_MAX_TTL_SECONDS = 300;

/**
 * A CloudFront Function on `/api/*` viewer requests: moves the browser's `authorization` to
 * {@link FORWARDED_AUTHORIZATION_HEADER}. Origin access control signs each request to the Function URL with
 * SigV4 in `authorization`, overwriting the browser's token there, and an origin request policy cannot
 * forward `authorization` at all; under another name the token reaches the function, which reads it there.
 * A value the browser put in that header itself is dropped first, so only `authorization` can set it.
 */
export const AUTHORIZATION_FORWARDING_CODE = `function handler(event) {
  var headers = event.request.headers;
  delete headers['${FORWARDED_AUTHORIZATION_HEADER}'];
  if (headers.authorization) {
    headers['${FORWARDED_AUTHORIZATION_HEADER}'] = { value: headers.authorization.value };
    delete headers.authorization;
  }
  return event.request;
}
`;

/**
 * Where the viewer is served: one CloudFront distribution with two origins, so the page and its API share
 * an origin and need no CORS:
 * - the page, from a private S3 bucket (all public access blocked, TLS only, no website hosting) that only
 *   this distribution may read, through origin access control;
 * - `/api/*`, the {@link ReadApi} Function URL (`AWS_IAM`) signed by origin access control for Lambda, with
 *   the Lambda permission limited to this distribution; GET and HEAD only; nothing cached unless the
 *   response's `Cache-Control` asks (default TTL 0, at most {@link API_MAX_TTL_SECONDS}), the caller's token
 *   in the cache key so a cached answer never reaches another user.
 *
 * Both behaviours send security headers (CSP allowing only this origin and the sign-in domain, HSTS,
 * nosniff, frame denial, no referrer). The page's files are copied from `pagePath` at deploy, with a
 * `config.json` the page reads to find its sign-in (see the README), and the cache is invalidated.
 *
 * @throws {BundleMissingError} at construction when `pagePath` holds no `index.html`.
 */
export class ViewerHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The viewer's address, `https://<id>.cloudfront.net/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ViewerHostingProps) {
    super(scope, id);
    requireBuildOutput({
      path: props.pagePath,
      entry: 'index.html',
      what: 'viewer page build',
      command: 'pnpm --filter @secondrow/viewer build',
      writes: 'packages/viewer/dist',
    });
    const { api, signIn } = props;

    // Kept on stack deletion like the other stores; it holds only the page, rebuilt from the sources.
    this.bucket = new s3.Bucket(this, 'PageBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Bucket is an IBucket; only exactOptionalPropertyTypes (optional `isWebsite`) says otherwise.
    const pageBucket = this.bucket as s3.IBucket;

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'secondrow viewer: CSP, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // Chart libraries set style attributes; no inline script is allowed.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            // The page exchanges the authorization code for tokens at the sign-in domain.
            `connect-src 'self' ${signIn.baseUrl}`,
            `form-action 'self' ${signIn.baseUrl}`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment: 'secondrow API: cached only when the response says so, per caller token',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(API_MAX_TTL_SECONDS),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList(FORWARDED_AUTHORIZATION_HEADER),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
    });

    const forwardAuthorization = new cloudfront.Function(this, 'ForwardAuthorization', {
      comment: `Moves the viewer's authorization header to ${FORWARDED_AUTHORIZATION_HEADER}`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(AUTHORIZATION_FORWARDING_CODE),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'secondrow viewer',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(pageBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(api.functionUrl, {
            readTimeout: Duration.seconds(30),
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: apiCachePolicy,
          responseHeadersPolicy: securityHeaders,
          functionAssociations: [
            { function: forwardAuthorization, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    new s3deploy.BucketDeployment(this, 'PageDeployment', {
      sources: [
        s3deploy.Source.asset(props.pagePath),
        s3deploy.Source.jsonData('config.json', {
          version: 1,
          apiBaseUrl: '/api',
          auth: {
            region: Stack.of(this).region,
            userPoolId: signIn.userPool.userPoolId,
            clientId: signIn.client.ref,
            signInBaseUrl: signIn.baseUrl,
            redirectUri: this.url,
            scopes: [...VIEWER_OAUTH_SCOPES],
            tokenUse: 'access',
          },
        }),
      ],
      destinationBucket: pageBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
  }
}
