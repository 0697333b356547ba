/** The shape of a questionnaire module as written in `questionnaires/*.yaml`. */
import type { EvidenceRule, QuestionType } from '../scoring/scoring';

export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface QuestionOption {
  key: string;
  label: LocalizedText;
  score: number;
}

export interface QuestionReferences {
  /** Control area of domain.md §1 (1–14). */
  area: number;
  iso27001?: string[];
  gdpr?: string[];
  pipl?: string[];
  pci?: string[];
}

export interface QuestionDefinition {
  key: string;
  type: QuestionType;
  text: LocalizedText;
  help?: LocalizedText;
  weight?: number;
  critical?: boolean;
  required?: boolean;
  expected?: 'yes' | 'no';
  options?: QuestionOption[];
  evidence?: EvidenceRule;
  condition?: string;
  /** Every shipped question has one (shipped-modules.spec.ts); a question imported from a table without an `area` column has none. */
  refs?: QuestionReferences;
  finding?: { severity: Severity; recommendation: LocalizedText };
}

export interface SectionDefinition {
  key: string;
  title: LocalizedText;
  weight?: number;
  questions: QuestionDefinition[];
}

export interface QuestionnaireModule {
  key: string;
  version: string;
  title: LocalizedText;
  description: LocalizedText;
  /** Default selection: modules whose rule matches a vendor's tier and category are proposed. */
  appliesTo?: { tiers?: string[]; categories?: string[]; dataCategories?: string[] };
  sections: SectionDefinition[];
}
