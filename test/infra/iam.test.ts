import { describe, expect, it } from 'vitest';
import { synthChapar } from './support/chapar-app';
import { actionsOf, allStatements, resourcesOf } from './support/iam';

const { data, messaging, api } = synthChapar({ sendingDomain: 'mail.chapar.ir' });
const statements = [data, messaging, api].flatMap(allStatements).filter((s) => s.Effect === 'Allow');

describe('IAM across the app', () => {
  it('has identity policies to check', () => {
    expect(statements.length).toBeGreaterThan(0);
  });

  it('allows no wildcard action (no *, dynamodb:*, sqs:*, ses:* ...)', () => {
    const wildcards = statements
      .flatMap(actionsOf)
      .filter((action) => action === '*' || action.endsWith(':*'));
    expect(wildcards).toEqual([]);
  });

  it('never allows SES sending on Resource "*"', () => {
    const sesSend = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:Send')));
    expect(sesSend.length).toBeGreaterThan(0);
    for (const statement of sesSend) expect(resourcesOf(statement)).not.toContain('*');
  });

  it('uses Resource "*" only for X-Ray, SES GetAccount and the console deployment\'s CloudFront invalidation, which have no resource-level permission', () => {
    const onEverything = statements.filter((s) => resourcesOf(s).includes('*'));
    expect(
      onEverything
        .flatMap(actionsOf)
        .filter(
          (action) =>
            !action.startsWith('xray:') &&
            action !== 'ses:GetAccount' &&
            action !== 'cloudfront:CreateInvalidation' &&
            action !== 'cloudfront:GetInvalidation',
        ),
    ).toEqual([]);
    expect(onEverything.flatMap(actionsOf)).toContain('ses:GetAccount');
  });

  it('names each DynamoDB index instead of granting <table>/index/*', () => {
    const indexWildcards = statements
      .flatMap(resourcesOf)
      .map((resource) => JSON.stringify(resource))
      .filter((resource) => resource.includes('/index/*'));
    expect(indexWildcards).toEqual([]);
  });
});
