import { ConflictError } from '../../../shared/domain/errors';
import { type Template, type TemplateSummary, templateSummary } from '../../../shared/domain/template';
import type { TemplateStore } from '../../../shared/ports';

/** TemplateStore in memory, with the DynamoDB store's conditions: one version at a time. */
export class MemoryTemplateStore implements TemplateStore {
  readonly versions = new Map<string, Template[]>();
  readonly usedBy = new Map<string, Set<string>>();

  async create(template: Template): Promise<void> {
    if (this.versions.has(template.id)) throw new ConflictError(`Template ${template.id} exists`);
    this.versions.set(template.id, [template]);
  }

  async get(id: string, version?: number): Promise<Template | undefined> {
    const all = this.versions.get(id);
    if (!all) return undefined;
    return version === undefined ? all.at(-1) : all.find((template) => template.version === version);
  }

  async putVersion(template: Template): Promise<void> {
    const all = this.versions.get(template.id);
    if (!all || all.length !== template.version - 1)
      throw new ConflictError(`Template ${template.id} changed`);
    all.push(template);
  }

  async list(page: {
    cursor?: string;
    limit: number;
  }): Promise<{ items: TemplateSummary[]; cursor?: string }> {
    const all = [...this.versions.values()]
      .map((versions) => versions.at(-1) as Template)
      .sort((a, b) => b.id.localeCompare(a.id));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit).map(templateSummary);
    const next = start + page.limit < all.length ? String(start + page.limit) : undefined;
    return { items, ...(next ? { cursor: next } : {}) };
  }

  async recordUse(templateId: string, campaignId: string): Promise<void> {
    const uses = this.usedBy.get(templateId) ?? new Set<string>();
    uses.add(campaignId);
    this.usedBy.set(templateId, uses);
  }

  async uses(templateId: string): Promise<string[]> {
    return [...(this.usedBy.get(templateId) ?? [])];
  }

  async delete(id: string): Promise<boolean> {
    this.usedBy.delete(id);
    return this.versions.delete(id);
  }
}
