/** The API's answers as the console reads them (the OpenAPI document is the contract). */

export type CampaignStatus = 'scheduled' | 'sending' | 'sent' | 'paused' | 'cancelled';

export interface CampaignStats {
  total: number;
  queued: number;
  cancelled: number;
  sent: number;
  failed: number;
  suppressed: number;
  delivered: number;
  undelivered: number;
  bounced: number;
  complained: number;
}

export interface CampaignSummary {
  id: string;
  name: string;
  status: CampaignStatus;
  topic?: string;
  channels: ('sms' | 'email')[];
  sendAt?: string | null;
  createdAt?: string;
  pausedReason?: string;
  stats?: CampaignStats;
}

export interface CampaignView extends CampaignSummary {
  sms?: { encoding: string; characters: number; segments: number };
  waiting?: { reason: string; until: string };
  failures?: Record<string, number>;
}

type Outcome = 'sent' | 'failed' | 'suppressed' | 'delivered' | 'undelivered' | 'bounced' | 'complained';

/** One minute of a campaign's timeline (GET /v1/campaigns/{id}/timeline). */
export type TimelinePoint = { minute: string } & Record<Outcome, number>;

export type ChannelPeriod = Record<Outcome, number> & { optOuts: number; deliveryRate: number | null };

export interface PeriodFigures {
  from: string;
  to: string;
  channels: { sms: ChannelPeriod; email: ChannelPeriod };
  spoofReports: { total: number; spoofed: number; genuine: number; unverified: number };
}

/** GET /v1/overview: the dashboard's figures. */
export interface Overview {
  today: PeriodFigures;
  last30Days: PeriodFigures;
  sendingNow: CampaignSummary[];
  smsCreditRial: number | null;
}

export interface Contact {
  id: string;
  phone?: string;
  email?: string;
  name?: string;
  locale?: 'fa' | 'en';
  attributes?: Record<string, unknown>;
  lists?: { id: string; name: string }[];
  createdAt?: string;
  updatedAt?: string;
}

export interface ConsentEntry {
  action: string;
  channel: string;
  topic: string;
  source: string;
  at: string;
  campaignId?: string;
  evidence?: Record<string, unknown>;
}

export interface ImportView {
  id: string;
  status: 'waiting_upload' | 'processing' | 'done' | 'failed';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicatesInFile: number;
  progress: number;
  reason?: string;
}

export interface SpoofReport {
  id: string;
  verdict: 'spoofed' | 'genuine' | 'unverified';
  sender: string;
  createdAt: string;
  receivedAt?: string;
  /** Masked by the API. */
  reporter: { phone?: string; email?: string } | null;
  erased?: true;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}
