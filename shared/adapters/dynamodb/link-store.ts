import { createHmac, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ShortLink } from '../../domain/short-link';
import type { Channel } from '../../domain/types';
import type { LinkStore } from '../../ports';
import { isConditionFailure } from './client';

/** Unsubscribe links in SMS must stay short: 10 base62 characters hold about 59 random bits. */
const CODE_LENGTH = 10;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Links outlive the campaigns they come from; people unsubscribe from old texts too. */
const LIFETIME_SECONDS = 2 * 365 * 24 * 3600;

function randomCode(): string {
  let code = '';
  // 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely.
  while (code.length < CODE_LENGTH) {
    for (const byte of randomBytes(16)) {
      if (byte < 248 && code.length < CODE_LENGTH) code += ALPHABET[byte % 62];
    }
  }
  return code;
}

/** The key of the claims' own item, so one recipient of one campaign always gets the same link. */
function claimsKey(claims: Omit<ShortLink, 'code'>): string {
  const digest = createHmac('sha256', 'chapar-link')
    .update([claims.ref, claims.channel, claims.topic, claims.campaignId].join('\u0000'))
    .digest('base64url');
  return `claims#${digest}`;
}

/**
 * Short links in DynamoDB: `<code>` → claims, and `claims#<hash>` → code, so a retried send
 * reuses the link it made before instead of minting another.
 */
export class DynamoLinkStore implements LinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async linkFor(claims: Omit<ShortLink, 'code'>): Promise<ShortLink> {
    const key = claimsKey(claims);
    const existing = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: key } }));
    if (typeof existing.Item?.code === 'string') return { ...claims, code: existing.Item.code };
    const expiresAt = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
    const code = randomCode();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: code, ...claims, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: key, code, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { ...claims, code };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A concurrent send made the link first: use theirs (ours stays valid, unused).
      const winner = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: key } }));
      return { ...claims, code: String(winner.Item?.code ?? code) };
    }
  }

  async find(code: string): Promise<ShortLink | undefined> {
    if (!/^[0-9A-Za-z]{10}$/.test(code)) return undefined;
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: code } }));
    const item = result.Item;
    if (!item || typeof item.ref !== 'string') return undefined;
    return {
      code,
      ref: item.ref,
      channel: item.channel as Channel,
      topic: String(item.topic),
      campaignId: String(item.campaignId),
    };
  }
}
