import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COGNITO_AUTH_ENV, FORWARDED_AUTHORIZATION_HEADER } from '@secondrow/query';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleMissingError, InvalidContextError, InvalidSettingError } from '../src/errors.js';
import { READ_API_TABLE_ACTIONS } from '../src/read-api.js';
import { SecondrowStack, type SecondrowStackProps } from '../src/secondrow-stack.js';
import { stackPropsFromContext } from '../src/stack-config.js';
import { API_MAX_TTL_SECONDS, AUTHORIZATION_FORWARDING_CODE } from '../src/viewer-hosting.js';

// Stand-ins for the three builds the stack deploys, so synthesis needs none of them.
const builds = mkdtempSync(join(tmpdir(), 'viewer-builds-'));
const codePath = join(builds, 'consumer');
const queryCodePath = join(builds, 'query');
const pagePath = join(builds, 'page');
for (const dir of [codePath, queryCodePath, pagePath]) mkdirSync(dir);
writeFileSync(
  join(codePath, 'index.mjs'),
  'export const handler = async () => ({ batchItemFailures: [] });\n',
);
writeFileSync(
  join(queryCodePath, 'index.mjs'),
  'export const handler = async () => ({ statusCode: 401 });\n',
);
writeFileSync(join(pagePath, 'index.html'), '<!doctype html><title>secondrow</title>\n');

afterAll(() => {
  rmSync(builds, { recursive: true, force: true });
});

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The statements of an IAM or bucket policy resource. */
function statementsOf(
  resource: { Properties?: Record<string, unknown> } | undefined,
): Record<string, unknown>[] {
  const document = resource?.Properties?.PolicyDocument as
    | { Statement: Record<string, unknown>[] }
    | undefined;
  return document?.Statement ?? [];
}

function synth(props: Partial<SecondrowStackProps> = {}): Template {
  const stack = new SecondrowStack(new App(), 'T', {
    codePath,
    viewer: { queryCodePath, pagePath },
    ...props,
  });
  return Template.fromStack(stack);
}

const distributionArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudfront::',
      { Ref: 'AWS::AccountId' },
      ':distribution/',
      { Ref: Match.stringLikeRegexp('^ViewerHostingDistribution') },
    ],
  ],
};

describe('the viewer (-c viewer=true)', () => {
  const template = synth();
  const resources = template.toJSON().Resources as Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const only = (type: string) => {
    const found = ofType(type);
    expect(found).toHaveLength(1);
    return found[0]?.[1];
  };
  const queryFunctionId = ofType('AWS::Lambda::Function').find(([id]) =>
    id.startsWith('ReadApiFunction'),
  )?.[0];

  it('keeps the page in a private bucket: public access blocked, TLS only, no website', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      WebsiteConfiguration: Match.absent(),
    });
  });

  it('lets only the distribution read the bucket, through origin access control', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    const statements = statementsOf(only('AWS::S3::BucketPolicy'));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
          }),
        ]),
      },
    });
  });

  it('puts the query function behind an AWS_IAM Function URL only the distribution may invoke', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [queryFunctionId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always' },
    });
    const permissions = ofType('AWS::Lambda::Permission').map(([, p]) => p.Properties ?? {});
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) expect(permission.Principal).toBe('cloudfront.amazonaws.com');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: 'cloudfront.amazonaws.com',
      SourceArn: distributionArn,
    });
    expect(permissions.every((p) => JSON.stringify(p.SourceArn).includes('ViewerHostingDistribution'))).toBe(
      true,
    );
  });

  it('serves /api/* from the function, GET and HEAD only, cached only when the response asks', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            AllowedMethods: ['GET', 'HEAD'],
            ViewerProtocolPolicy: 'https-only',
            CachePolicyId: { Ref: Match.stringLikeRegexp('^ViewerHostingApiCachePolicy') },
            FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
            TargetOriginId: Match.anyValue(),
          }),
        ],
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: {
              'Fn::Select': [
                2,
                {
                  'Fn::Split': [
                    '/',
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReadApiFunctionFunctionUrl'), 'FunctionUrl'] },
                  ],
                },
              ],
            },
            OriginAccessControlId: Match.anyValue(),
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: API_MAX_TTL_SECONDS,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [FORWARDED_AUTHORIZATION_HEADER] },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      },
    });
  });

  it("moves the browser's authorization header where the function reads it, dropping a forged copy", () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: AUTHORIZATION_FORWARDING_CODE,
    });
    const handler = new Function(`${AUTHORIZATION_FORWARDING_CODE}; return handler;`)() as (
      event: unknown,
    ) => {
      headers: Record<string, { value: string }>;
    };
    const request = (headers: Record<string, { value: string }>) => ({ request: { headers } });
    expect(handler(request({ authorization: { value: 'Bearer abc' } })).headers).toEqual({
      [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer abc' },
    });
    expect(
      handler(request({ [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer forged' } })).headers,
    ).toEqual({});
  });

  it('gives the function read-only access to the row table, and nothing else on DynamoDB', () => {
    const policies = ofType('AWS::IAM::Policy').filter(([id]) => id.startsWith('ReadApiFunction'));
    expect(policies).toHaveLength(1);
    const statements = statementsOf(policies[0]?.[1]);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [...READ_API_TABLE_ACTIONS],
        Resource: { 'Fn::GetAtt': ['RowTable3D26ACF7', 'Arn'] },
      },
    ]);
    expect(READ_API_TABLE_ACTIONS).toEqual(['dynamodb:Query', 'dynamodb:GetItem']);
  });

  it('runs the bundled query on nodejs22.x arm64 with the table and the Cognito ids', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { Ref: 'RowTable3D26ACF7' },
          [COGNITO_AUTH_ENV.userPoolId]: { Ref: Match.stringLikeRegexp('^ViewerSignInUserPool') },
          [COGNITO_AUTH_ENV.clientId]: { Ref: Match.stringLikeRegexp('^ViewerSignInClient') },
          [COGNITO_AUTH_ENV.tokenUse]: 'access',
          WINDOW_SECONDS: '1',
        }),
      },
    });
  });

  it('lets only administrators create users, who sign in with their email', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
  });

  it("sends sign-ins back to the distribution's URL with the authorization-code flow", () => {
    const create = JSON.stringify(only('Custom::AWS')?.Properties?.Create);
    expect(create).toContain('UpdateUserPoolClient');
    expect(create).toContain('\\"AllowedOAuthFlows\\":[\\"code\\"]');
    expect(create).toMatch(/CallbackURLs.*ViewerHostingDistribution[^"]*","DomainName"/);
    // UpdateUserPoolClient resets what it omits: every setting of the client is passed again.
    for (const setting of [
      'ClientName',
      'ExplicitAuthFlows',
      'SupportedIdentityProviders',
      'PreventUserExistenceErrors',
      'EnableTokenRevocation',
    ]) {
      expect(create).toContain(`\\"${setting}\\"`);
    }
  });

  it('sends security headers with the page and the API', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.anyValue() }),
          StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      }),
    });
  });

  it('serves nothing anonymously: no public bucket, no function URL without IAM auth', () => {
    for (const [, url] of ofType('AWS::Lambda::Url')) expect(url.Properties?.AuthType).toBe('AWS_IAM');
    for (const [, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toBeDefined();
      expect(bucket.Properties?.WebsiteConfiguration).toBeUndefined();
    }
    for (const [, policy] of ofType('AWS::S3::BucketPolicy')) {
      const allows = statementsOf(policy).filter((s) => s.Effect === 'Allow');
      for (const allow of allows) expect(allow.Principal).not.toEqual({ AWS: '*' });
    }
  });

  it('deploys the page with a config.json naming the sign-in', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      SourceObjectKeys: [Match.anyValue(), Match.anyValue()],
    });
    const markers = JSON.stringify(only('Custom::CDKBucketDeployment')?.Properties);
    expect(markers).toMatch(/ViewerSignInClient/);
    expect(markers).toMatch(/ViewerHostingDistribution/);
  });
});

describe('without the viewer', () => {
  it('is the pipeline alone, with the same resources and logical IDs', () => {
    const plain = new SecondrowStack(new App(), 'T', { codePath });
    const resources = Template.fromStack(plain).toJSON().Resources as Resources;
    const withViewer = synth().toJSON().Resources as Resources;
    for (const [id, resource] of Object.entries(resources)) expect(withViewer[id]?.Type).toBe(resource.Type);
    const types = new Set(Object.values(resources).map((r) => r.Type));
    for (const type of [
      'AWS::CloudFront::Distribution',
      'AWS::Cognito::UserPool',
      'AWS::S3::Bucket',
      'AWS::Lambda::Url',
    ]) {
      expect(types.has(type)).toBe(false);
    }
  });
});

describe('missing builds', () => {
  it('stop the synth with the command that makes them', () => {
    const missing = join(builds, 'missing');
    expect(() => synth({ viewer: { queryCodePath: missing, pagePath } })).toThrow(BundleMissingError);
    expect(() => synth({ viewer: { queryCodePath: missing, pagePath } })).toThrow(
      /pnpm --filter @secondrow\/query bundle/,
    );
    expect(() => synth({ viewer: { queryCodePath, pagePath: missing } })).toThrow(
      /pnpm --filter @secondrow\/viewer build/,
    );
    // A directory without the entry file is as good as missing.
    expect(() => synth({ viewer: { queryCodePath: pagePath, pagePath } })).toThrow(/index\.mjs/);
  });

  it('refuse a malformed sign-in domain prefix, naming it', () => {
    expect(() => synth({ viewer: { queryCodePath, pagePath, domainPrefix: 'My_Viewer' } })).toThrow(
      InvalidSettingError,
    );
    expect(() => synth({ viewer: { queryCodePath, pagePath, domainPrefix: 'cognito-viewer' } })).toThrow(
      /viewerDomainPrefix/,
    );
  });
});

describe('viewer context', () => {
  const read = (context: Record<string, unknown>) => (key: string) => context[key];
  const defaults = { queryCodePath: '/q', pagePath: '/p' };

  it('adds the viewer with viewer=true, with the default build paths', () => {
    expect(stackPropsFromContext(read({ viewer: 'true' }), '/c', defaults).viewer).toEqual(defaults);
    expect(
      stackPropsFromContext(
        read({ viewer: true, viewerDomainPrefix: 'my-viewer', queryCodePath: '/x' }),
        '/c',
        defaults,
      ).viewer,
    ).toEqual({ queryCodePath: '/x', pagePath: '/p', domainPrefix: 'my-viewer' });
    expect(stackPropsFromContext(read({}), '/c', defaults).viewer).toBeUndefined();
    expect(stackPropsFromContext(read({ viewer: 'false' }), '/c', defaults).viewer).toBeUndefined();
  });

  it('refuses a malformed flag, a bad prefix, and viewer keys without the viewer', () => {
    expect(() => stackPropsFromContext(read({ viewer: 'yes' }), '/c', defaults)).toThrow(InvalidContextError);
    expect(() =>
      stackPropsFromContext(read({ viewer: 'true', viewerDomainPrefix: 'has_underscore' }), '/c', defaults),
    ).toThrow(/viewerDomainPrefix/);
    expect(() => stackPropsFromContext(read({ viewerDomainPrefix: 'ok-prefix' }), '/c', defaults)).toThrow(
      /viewer=true/,
    );
  });
});
