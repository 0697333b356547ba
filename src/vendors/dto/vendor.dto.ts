import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TierResult } from '../tiering/inherent-risk-tier';
import type { VendorEntity } from '../vendor.entity';
import {
  ACCESS_LEVELS,
  CONTACT_LANGUAGES,
  CRITICALITIES,
  DATA_CATEGORIES,
  JURISDICTIONS,
  TIERS,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
  VOLUME_BANDS,
} from '../vendor.enums';

export class OwnerRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class TierBreakdownLineDto {
  @ApiProperty({ enum: ['personalData', 'volume', 'access', 'criticality', 'crossBorder'] }) factor: string;
  @ApiProperty() value: string;
  @ApiProperty() points: number;
}

export class TierOverrideInfoDto {
  @ApiProperty({ enum: TIERS }) tier: string;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) by: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) at: string | null;
}

export class TierDto {
  @ApiProperty({ enum: TIERS, description: 'The tier in force' }) effective: string;
  @ApiProperty({ enum: TIERS, description: 'The tier the intake gives' }) computed: string;
  @ApiProperty({ description: 'Points from the intake' }) score: number;
  @ApiProperty({ type: [TierBreakdownLineDto] }) breakdown: TierBreakdownLineDto[];
  @ApiProperty({ type: [String], description: 'Rules that raised the tier above its points' }) floors: string[];
  @ApiPropertyOptional({ type: TierOverrideInfoDto, nullable: true }) override: TierOverrideInfoDto | null;
}

export class ContactOutDto {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ nullable: true }) phone: string | null;
  @ApiProperty({ enum: CONTACT_LANGUAGES }) language: string;
}

export class DataProfileOutDto {
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) dataCategories: string[];
  @ApiProperty({ enum: VOLUME_BANDS }) volumeBand: string;
  @ApiProperty({ enum: ACCESS_LEVELS }) accessLevel: string;
  @ApiProperty({ enum: CRITICALITIES }) criticality: string;
  @ApiProperty() crossBorder: boolean;
  @ApiProperty({ type: [String] }) transferCountries: string[];
  @ApiProperty({ enum: JURISDICTIONS, isArray: true }) jurisdictions: string[];
}

export class VendorSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: VENDOR_CATEGORIES }) category: string;
  @ApiProperty({ enum: VENDOR_STATUSES }) status: string;
  @ApiProperty() country: string;
  @ApiProperty({ enum: TIERS }) tier: string;
  @ApiProperty() tierOverridden: boolean;
  @ApiProperty({ type: OwnerRefDto }) owner: OwnerRefDto;
  @ApiProperty({ format: 'date' }) nextReviewDate: string;
  @ApiPropertyOptional({ nullable: true, enum: TIERS, description: 'From the last completed assessment; null before the first' }) residualRisk: string | null;
  @ApiProperty() archived: boolean;

  static from(v: VendorEntity): VendorSummaryDto {
    return Object.assign(new VendorSummaryDto(), {
      id: v.id,
      name: v.name,
      category: v.category,
      status: v.status,
      country: v.country,
      tier: v.tier,
      tierOverridden: v.tierOverride !== null,
      owner: { id: v.ownerId, name: v.owner?.name ?? '' },
      nextReviewDate: v.nextReviewDate,
      residualRisk: v.residualRisk ?? null,
      archived: v.archivedAt !== null,
    });
  }
}

export class VendorDto extends VendorSummaryDto {
  @ApiPropertyOptional({ nullable: true }) legalEntity: string | null;
  @ApiPropertyOptional({ nullable: true }) website: string | null;
  @ApiPropertyOptional({ nullable: true }) services: string | null;
  @ApiProperty({ type: ContactOutDto }) contact: ContactOutDto;
  @ApiProperty({ type: DataProfileOutDto }) profile: DataProfileOutDto;
  @ApiProperty({ type: TierDto }) tierDetail: TierDto;
  @ApiProperty({ description: 'Months between reviews for this tier and data' }) reviewIntervalMonths: number;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) lastReviewDate: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) residualRiskAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'The completed assessment that set the residual risk' }) lastAssessmentId: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) archivedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) archiveReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Send it back with an update to detect concurrent edits' }) version: number;

  static fromDetail(v: VendorEntity, tier: TierResult, reviewIntervalMonths: number): VendorDto {
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return Object.assign(new VendorDto(), VendorSummaryDto.from(v), {
      legalEntity: v.legalEntity,
      website: v.website,
      services: v.services,
      contact: { name: v.contactName, email: v.contactEmail, phone: v.contactPhone, language: v.contactLanguage },
      profile: {
        dataCategories: v.dataCategories,
        volumeBand: v.volumeBand,
        accessLevel: v.accessLevel,
        criticality: v.criticality,
        crossBorder: v.crossBorder,
        transferCountries: v.transferCountries,
        jurisdictions: v.jurisdictions,
      },
      tierDetail: {
        effective: v.tier,
        computed: v.computedTier,
        score: tier.score,
        breakdown: tier.breakdown,
        floors: tier.floors.map((f) => f.rule),
        override: v.tierOverride
          ? { tier: v.tierOverride, reason: v.tierOverrideReason ?? '', by: v.tierOverrideBy, at: iso(v.tierOverrideAt) }
          : null,
      },
      reviewIntervalMonths,
      lastReviewDate: v.lastReviewDate,
      residualRiskAt: iso(v.residualRiskAt ?? null),
      lastAssessmentId: v.lastAssessmentId ?? null,
      archivedAt: iso(v.archivedAt),
      archiveReason: v.archiveReason,
      createdAt: iso(v.createdAt)!,
      updatedAt: iso(v.updatedAt)!,
      version: v.version,
    });
  }
}

export class TierPreviewDto {
  @ApiProperty({ enum: TIERS }) tier: string;
  @ApiProperty({ enum: TIERS }) pointsTier: string;
  @ApiProperty() score: number;
  @ApiProperty({ type: [TierBreakdownLineDto] }) breakdown: TierBreakdownLineDto[];
  @ApiProperty({ type: [String] }) floors: string[];
  @ApiProperty() reviewIntervalMonths: number;
}
