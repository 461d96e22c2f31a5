import type { FaultBook } from './faults';
import type { Lifecycle } from './lifecycle';
import type { ApiResult } from './reply';
import type { SimState } from './state';

/** Form or query parameters of one API call. */
export type Params = Readonly<Record<string, string | undefined>>;

/** What every simulated API method works with. */
export interface ApiContext {
  readonly state: SimState;
  readonly faults: FaultBook;
  readonly lifecycle: Lifecycle;
  /** The account's sender lines; the first is its default line. */
  readonly lines: readonly string[];
}

/** One Kavenegar method. */
export type ApiMethod = (params: Params, context: ApiContext) => ApiResult;
