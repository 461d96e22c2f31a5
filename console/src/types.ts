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

export interface TimelinePoint {
  minute: string;
  counts: Partial<Record<keyof CampaignStats, number>>;
}

export interface PeriodFigures {
  sent: { sms: number; email: number };
  deliveryRate: number | null;
  optOuts: number;
  bounced: number;
  complained: number;
  spoofReports: number;
}

export interface Overview {
  today: PeriodFigures;
  last30Days: PeriodFigures;
  smsCreditRial?: number | null;
  sendingNow?: number;
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
  reportId: string;
  verdict: 'spoofed' | 'genuine' | 'unverified';
  sender: string;
  receivedAt: string;
  reporter?: string;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}
