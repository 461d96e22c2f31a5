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
  /**
   * What the index copies: every attribute (default), only the keys to look items up by, or the
   * keys and `include` (narrow: a listing reads what it shows and nothing more).
   */
  readonly projection?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** With projection `INCLUDE`: the attributes copied besides the keys. */
  readonly include?: readonly string[];
}
