/** What the simulated account holds: credit, accepted messages and the API calls received. */

/** One accepted SMS, as GET /_sim/messages shows it. */
export interface SimMessage {
  readonly messageid: number;
  readonly sender: string;
  /** National form, `09xxxxxxxxx`, as Kavenegar keeps it. */
  readonly receptor: string;
  readonly message: string;
  status: number;
  /** Unix seconds: when it was accepted, or its scheduled time. */
  readonly date: number;
  readonly localid?: string;
  /** Rial. */
  readonly cost: number;
}

/** One API call, as GET /_sim/requests shows it: the key is masked in the path. */
export interface SimRequest {
  readonly method: string;
  /** e.g. `/v1/***\/sms/send.json`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** return.status of the answer. */
  readonly code: number;
  /** When the call arrived, epoch milliseconds. */
  readonly at: number;
}

const FIRST_MESSAGE_ID = 100_000_001;
const YEAR_SECONDS = 365 * 24 * 3600;

/** The account's mutable state; one per simulator. */
export class SimState {
  readonly messages: SimMessage[] = [];
  readonly requests: SimRequest[] = [];
  readonly expireDate = Math.floor(Date.now() / 1000) + YEAR_SECONDS;
  credit: number;
  /** Rial per SMS part. */
  costPerPart: number;
  readonly #initialCredit: number;
  readonly #initialCostPerPart: number;
  readonly #byId = new Map<number, SimMessage>();
  // Ids keep increasing across resets, so an id from before a reset never names a new message.
  #nextId = FIRST_MESSAGE_ID;

  constructor(initialCredit: number, initialCostPerPart: number) {
    this.#initialCredit = initialCredit;
    this.credit = initialCredit;
    this.#initialCostPerPart = initialCostPerPart;
    this.costPerPart = initialCostPerPart;
  }

  nextMessageId(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  add(message: SimMessage): void {
    this.messages.push(message);
    this.#byId.set(message.messageid, message);
  }

  find(messageid: number): SimMessage | undefined {
    return this.#byId.get(messageid);
  }

  /** The latest message sent with this localid. */
  findByLocalId(localid: string): SimMessage | undefined {
    return this.messages.findLast((message) => message.localid === localid);
  }

  /** Puts the credit and the price per part back to what the simulator started with. */
  restoreCredit(): void {
    this.credit = this.#initialCredit;
    this.costPerPart = this.#initialCostPerPart;
  }

  /** Forgets messages and requests and restores the credit. */
  reset(): void {
    this.messages.length = 0;
    this.requests.length = 0;
    this.#byId.clear();
    this.restoreCredit();
  }
}
