import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deployment from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleCsp } from '../../shared/definitions/console-site';

/** What the console's config.json tells the app at run time. */
export interface ConsoleRuntimeConfig {
  readonly cognito?: { readonly region: string; readonly userPoolId: string; readonly clientId: string };
}

export interface ConsoleSiteProps {
  /** The built console (console/dist). */
  readonly distPath: string;
  /** The HTTP API's https root (`https://<id>.execute-api.<region>.amazonaws.com`). */
  readonly apiEndpoint: string;
  /** Path patterns that go to the API, e.g. `/v1/*`. */
  readonly apiPaths: readonly string[];
  /** Cognito's pool and client, for config.json. @default - no sign-in configured */
  readonly runtime?: ConsoleRuntimeConfig;
  /** Origins the pages may call besides their own (the upload bucket). */
  readonly connectOrigins?: readonly string[];
}

// App paths (no file extension) are the app's page; files are themselves. Runs at the edge on
// /console/* only, so an API 404 is never turned into the app.
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/console') {
    return { statusCode: 308, statusDescription: 'Permanent Redirect', headers: { location: { value: '/console/' } } };
  }
  var last = uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/console/index.html';
  return request;
}`;

/**
 * The console on one domain with the API: a private bucket (every public access blocked, TLS
 * only, encrypted) read by CloudFront through origin access control; /console/* from the
 * bucket with the security headers (CSP with no inline scripts, HSTS, frame-ancestors none,
 * nosniff), the API's paths to the HTTP API uncached with every viewer header but Host; the app
 * and its config.json deployed with the stack, index and config invalidated on each deploy.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: deployment.BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cognitoOrigin = `https://cognito-idp.${region}.amazonaws.com`;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Chapar console: CSP without inline scripts, HSTS, no framing, nosniff',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp([cognitoOrigin, ...(props.connectOrigins ?? [])]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    const rewrite = new cloudfront.Function(this, 'AppPaths', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Console app paths to index.html',
    });
    const api = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    const consoleBehavior: cloudfront.BehaviorOptions = {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
      functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Chapar: console, API, unsubscribe and short links on one domain',
      defaultBehavior: consoleBehavior,
      additionalBehaviors: Object.fromEntries([
        ['/console/*', consoleBehavior],
        ...props.apiPaths.map((path) => [path, apiBehavior]),
      ]),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
    });
    const config = {
      apiBase: '',
      cognito: props.runtime?.cognito
        ? { endpoint: `${cognitoOrigin}/`, ...props.runtime.cognito }
        : { endpoint: `${cognitoOrigin}/`, region, userPoolId: '', clientId: '' },
    };
    this.deployment = new deployment.BucketDeployment(this, 'App', {
      sources: [deployment.Source.asset(props.distPath), deployment.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      distribution: this.distribution,
      distributionPaths: ['/console/index.html', '/console/config.json'],
      prune: true,
      memoryLimit: 512,
    });
  }

  /** The distribution's https root. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
