import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CONSOLE_API_PATHS } from '../../infra/stacks/api-stack';
import { synthChapar } from './support/chapar-app';

const { api } = synthChapar();

interface HeadersPolicy {
  ResponseHeadersPolicyConfig: {
    SecurityHeadersConfig: {
      ContentSecurityPolicy: { ContentSecurityPolicy: unknown };
      StrictTransportSecurity: { AccessControlMaxAgeSec: number };
      FrameOptions: { FrameOption: string };
      ContentTypeOptions: { Override: boolean };
    };
  };
}

interface Behavior {
  PathPattern: string;
  CachePolicyId?: string;
  AllowedMethods?: string[];
  ViewerProtocolPolicy?: string;
  FunctionAssociations?: { EventType: string }[];
  ResponseHeadersPolicyId?: unknown;
}

describe('the console site', () => {
  it('keeps the app in a private, encrypted, TLS-only bucket read through origin access control', () => {
    api.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
    });
    api.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    api.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
  });

  it('sends the security headers: a CSP without inline scripts, HSTS, no framing, nosniff', () => {
    const policies = Object.values(api.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(1);
    const [policy] = policies as unknown as { Properties: HeadersPolicy }[];
    const security = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    if (!security) throw new Error('no security headers');
    // A Fn::Join (Cognito's origin names the region): read it as its JSON text.
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain('https://cognito-idp.');
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
  });

  it('sends the API, unsubscribe and short-link paths to the HTTP API, uncached, on one domain', () => {
    const distributions = Object.values(api.findResources('AWS::CloudFront::Distribution'));
    expect(distributions).toHaveLength(1);
    const [distribution] = distributions as unknown as {
      Properties: { DistributionConfig: { CacheBehaviors: Behavior[] } };
    }[];
    const behaviors = distribution?.Properties.DistributionConfig.CacheBehaviors ?? [];
    for (const path of ['/v1/*', '/u/*', '/s/*']) {
      expect(CONSOLE_API_PATHS).toContain(path);
      const behavior = behaviors.find((b) => b.PathPattern === path);
      expect(behavior, path).toBeDefined();
      // Managed-CachingDisabled
      expect(behavior?.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
      expect(behavior?.AllowedMethods).toContain('POST');
      expect(behavior?.ViewerProtocolPolicy).toBe('https-only');
    }
    const app = behaviors.find((b) => b.PathPattern === '/console/*');
    expect(app?.FunctionAssociations?.[0]?.EventType).toBe('viewer-request');
    expect(app?.ResponseHeadersPolicyId).toBeDefined();
  });

  it('deploys the built app with its config.json under console/', () => {
    api.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'console/',
      DistributionPaths: ['/console/index.html', '/console/config.json'],
    });
  });
});
