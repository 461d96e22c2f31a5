import { describe, expect, it } from 'vitest';
import { dispatchMessageSchema, recipientsMessageSchema } from '../../../shared/domain/messages';

describe('dispatchMessageSchema', () => {
  it.each([
    { label: 'the first page', message: { v: 1, campaignId: '01JD5ZQ3N1V8T4K6W2R9XH7ABC', cursor: null } },
    { label: 'a later page', message: { v: 1, campaignId: 'c1', cursor: 'eyJpZCI6ImNybS0xMjMifQ' } },
    { label: "a unit's page", message: { v: 1, campaignId: 'c1', cursor: null, round: 2, unit: 15 } },
  ])('accepts $label', ({ message }) => {
    // Prepare: the message comes from the table

    // Act
    const result = dispatchMessageSchema.safeParse(message);

    // Assess
    expect(result).toEqual({ success: true, data: message });
  });

  it.each([
    { label: 'another version', message: { v: 2, campaignId: 'c1', cursor: null }, path: ['v'] },
    { label: 'no version', message: { campaignId: 'c1', cursor: null }, path: ['v'] },
    { label: 'an empty campaign id', message: { v: 1, campaignId: '', cursor: null }, path: ['campaignId'] },
    {
      label: 'a campaign id over 40',
      message: { v: 1, campaignId: 'c'.repeat(41), cursor: null },
      path: ['campaignId'],
    },
    { label: 'a missing cursor', message: { v: 1, campaignId: 'c1' }, path: ['cursor'] },
    {
      label: 'a cursor over 2048',
      message: { v: 1, campaignId: 'c1', cursor: 'x'.repeat(2049) },
      path: ['cursor'],
    },
    { label: 'a negative unit', message: { v: 1, campaignId: 'c1', cursor: null, unit: -1 }, path: ['unit'] },
    {
      label: 'a unit over 999',
      message: { v: 1, campaignId: 'c1', cursor: null, unit: 1000 },
      path: ['unit'],
    },
    {
      label: 'a fractional unit',
      message: { v: 1, campaignId: 'c1', cursor: null, unit: 1.5 },
      path: ['unit'],
    },
    { label: 'an unknown key', message: { v: 1, campaignId: 'c1', cursor: null, page: 2 }, path: [] },
  ])('rejects $label', ({ message, path }) => {
    // Prepare: the message comes from the table

    // Act
    const result = dispatchMessageSchema.safeParse(message);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe('recipientsMessageSchema', () => {
  const valid = { v: 1, campaignId: 'c1', channel: 'sms', contactIds: ['crm-1', 'crm-2'] };

  it('accepts a page of contacts for one channel', () => {
    // Prepare: the valid message

    // Act
    const result = recipientsMessageSchema.safeParse(valid);

    // Assess
    expect(result).toEqual({ success: true, data: valid });
  });

  it('accepts 200 contacts', () => {
    // Prepare
    const message = { ...valid, contactIds: Array.from({ length: 200 }, (_, i) => `c${i}`) };

    // Act
    const result = recipientsMessageSchema.safeParse(message);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    { label: 'an unknown channel', message: { ...valid, channel: 'fax' }, path: ['channel'] },
    { label: 'no contacts', message: { ...valid, contactIds: [] }, path: ['contactIds'] },
    {
      label: 'over 200 contacts',
      message: { ...valid, contactIds: Array.from({ length: 201 }, (_, i) => `c${i}`) },
      path: ['contactIds'],
    },
    {
      label: 'a bad contact id',
      message: { ...valid, contactIds: ['ok', 'not ok'] },
      path: ['contactIds', 1],
    },
    { label: 'another version', message: { ...valid, v: 0 }, path: ['v'] },
    { label: 'an unknown key', message: { ...valid, phone: '+989121234567' }, path: [] },
  ])('rejects $label', ({ message, path }) => {
    // Prepare: the message comes from the table

    // Act
    const result = recipientsMessageSchema.safeParse(message);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
