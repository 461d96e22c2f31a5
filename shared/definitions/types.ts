/** Key and attribute types shared by the tables' definitions. */

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  /** What the index copies: every attribute (default), or only the keys to look items up by. */
  readonly projection?: 'ALL' | 'KEYS_ONLY';
}
