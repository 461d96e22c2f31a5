import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  isShortLinkCode,
  type ShortLink,
  type ShortLinkClaims,
  sameClaims,
  shortLinkCode,
} from '../../domain/short-link';
import type { Channel } from '../../domain/types';
import type { LinkStore } from '../../ports';
import { isConditionFailure } from './client';

/** Links outlive the campaigns that carry them; people unsubscribe from old texts too. */
const LIFETIME_SECONDS = 2 * 365 * 24 * 3600;
/** A link found with less life left than this is given its full lifetime again (one write a year). */
const RENEW_BELOW_SECONDS = LIFETIME_SECONDS / 2;
/** Codes tried for one set of claims before giving up: a collision is already a 1 in 2^59 event. */
const MAX_ATTEMPTS = 4;

/** How to build a {@link DynamoLinkStore}. */
export interface DynamoLinkStoreOptions {
  /** The secret the codes are derived with (the unsubscribe token key); needed by linkFor only. */
  readonly key?: () => Promise<string>;
  /** Epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
}

/**
 * Short links in DynamoDB, one item per link: `pk` = its code → its claims. The code is derived
 * from the claims with a keyed HMAC (see shortLinkCode), so the link of a contact × channel ×
 * topic is found by reading its own item: one GetItem per SMS, and a conditional write only
 * the first time (or, once a year, to renew its expiry). Every campaign on the topic reuses it.
 */
export class DynamoLinkStore implements LinkStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #key: (() => Promise<string>) | undefined;
  readonly #now: () => number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoLinkStoreOptions = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#key = options.key;
    this.#now = options.now ?? Date.now;
  }

  async linkFor(claims: ShortLinkClaims): Promise<ShortLink> {
    if (this.#key === undefined) throw new Error('DynamoLinkStore has no key to derive link codes with');
    const key = await this.#key();
    const wanted: ShortLinkClaims = { ref: claims.ref, channel: claims.channel, topic: claims.topic };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const code = shortLinkCode(key, wanted, attempt);
      const found = await this.#get(code);
      if (found === undefined) {
        if (await this.#create(code, wanted)) return { ...wanted, code };
        // Someone created it meanwhile: the same claims (a concurrent send) or, rarely, others.
        const winner = await this.#get(code);
        if (winner !== undefined && sameClaims(winner.link, wanted)) return { ...wanted, code };
        continue;
      }
      if (!sameClaims(found.link, wanted)) continue;
      const nowSeconds = Math.floor(this.#now() / 1000);
      if (found.expiresAt - nowSeconds < RENEW_BELOW_SECONDS && !(await this.#renew(code, nowSeconds))) {
        // Expired and swept between the read and the renewal: made again, with the same code.
        if (!(await this.#create(code, wanted))) continue;
      }
      return { ...wanted, code };
    }
    throw new Error(`No free short link code for these claims after ${MAX_ATTEMPTS} attempts`);
  }

  async find(code: string): Promise<ShortLink | undefined> {
    if (!isShortLinkCode(code)) return undefined;
    return (await this.#get(code))?.link;
  }

  async #get(code: string): Promise<{ link: ShortLink; expiresAt: number } | undefined> {
    const result = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: { pk: code } }));
    const item = result.Item;
    if (!item || typeof item.ref !== 'string') return undefined;
    return {
      link: {
        code,
        ref: item.ref,
        channel: item.channel as Channel,
        topic: String(item.topic),
        // Links made before one link served every campaign of a topic.
        ...(typeof item.campaignId === 'string' ? { campaignId: item.campaignId } : {}),
      },
      expiresAt: Number(item.expiresAt ?? 0),
    };
  }

  /** Writes the link once; false when its code is taken. */
  async #create(code: string, claims: ShortLinkClaims): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { pk: code, ...claims, expiresAt: Math.floor(this.#now() / 1000) + LIFETIME_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Gives a link its full lifetime again; false when it is gone. */
  async #renew(code: string, nowSeconds: number): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { pk: code },
          UpdateExpression: 'SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':expiresAt': nowSeconds + LIFETIME_SECONDS },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
