import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
  ArrayNotEmpty,
  IsObject,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/http/api-validation';
import {
  ACCESS_LEVELS,
  type AccessLevel,
  CONTACT_LANGUAGES,
  type ContactLanguage,
  CRITICALITIES,
  type Criticality,
  DATA_CATEGORIES,
  type DataCategory,
  JURISDICTIONS,
  type Jurisdiction,
  TIERS,
  type Tier,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
  type VendorCategory,
  type VendorStatus,
  VOLUME_BANDS,
  type VolumeBand,
} from '../vendor.enums';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const upperAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v)) : value;

export class ContactDto {
  @ApiProperty({ example: 'Jane Doe' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'security@vendor.example' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '+86 21 5555 0100' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  @Matches(/^\+?[0-9 ().\-/]{3,40}$/, { message: 'phone may hold digits, spaces, + ( ) . - / only' })
  phone?: string;

  @ApiProperty({ enum: CONTACT_LANGUAGES, description: 'Language of mails and portal pages for this contact' })
  @IsIn(CONTACT_LANGUAGES)
  language: ContactLanguage;
}

/** The answers the inherent-risk tier is computed from (domain.md §2). */
export class TierInputDto {
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, description: 'Personal-information categories the vendor will hold' })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(DATA_CATEGORIES.length)
  @IsIn(DATA_CATEGORIES, { each: true })
  dataCategories: DataCategory[];

  @ApiProperty({ enum: VOLUME_BANDS, description: 'Records held: under 1k, 1k–100k, 100k–1M, over 1M' })
  @IsIn(VOLUME_BANDS)
  volumeBand: VolumeBand;

  @ApiProperty({ enum: ACCESS_LEVELS })
  @IsIn(ACCESS_LEVELS)
  accessLevel: AccessLevel;

  @ApiProperty({ enum: CRITICALITIES })
  @IsIn(CRITICALITIES)
  criticality: Criticality;

  @ApiProperty({ description: 'Personal information leaves the country' })
  @IsBoolean()
  crossBorder: boolean;
}

/** The onboarding intake: what the vendor will hold, how it connects, and where the data goes. */
export class DataProfileDto extends TierInputDto {
  @ApiPropertyOptional({ type: [String], example: ['US', 'SG'], description: 'ISO 3166 alpha-2 destinations; required when crossBorder' })
  @ValidateIf((o: DataProfileDto) => o.crossBorder === true || o.transferCountries !== undefined)
  @Transform(upperAll)
  @IsArray()
  @ArrayNotEmpty({ message: 'transferCountries must name at least one destination when crossBorder is true' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsISO31661Alpha2({ each: true, message: 'each of transferCountries must be an ISO 3166-1 alpha-2 code' })
  transferCountries?: string[];

  @ApiProperty({ enum: JURISDICTIONS, isArray: true, description: 'Where the data subjects are' })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(JURISDICTIONS.length)
  @IsIn(JURISDICTIONS, { each: true })
  jurisdictions: Jurisdiction[];
}

export class CreateVendorDto {
  @ApiProperty({ example: 'Nimbus Cloud Hosting' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Nimbus Cloud Ltd.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  legalEntity?: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code, such as DE or CN' })
  country: string;

  @ApiPropertyOptional({ example: 'https://nimbus.example' })
  @IsOptional()
  @Transform(trim)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(255)
  website?: string;

  @ApiPropertyOptional({ description: 'Services provided to us' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  services?: string;

  @ApiProperty({ enum: VENDOR_CATEGORIES })
  @IsIn(VENDOR_CATEGORIES)
  category: VendorCategory;

  @ApiProperty({ format: 'uuid', description: 'Business owner: an active staff user' })
  @IsUUID()
  ownerId: string;

  @ApiPropertyOptional({ enum: VENDOR_STATUSES, default: 'onboarding' })
  @IsOptional()
  @IsIn(VENDOR_STATUSES)
  status?: VendorStatus;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;

  @ApiProperty({ type: DataProfileDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DataProfileDto)
  profile: DataProfileDto;
}

export class UpdateVendorDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  legalEntity?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code, such as DE or CN' })
  country?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @ValidateIf((o: UpdateVendorDto) => o.website !== '')
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(255)
  website?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  services?: string;

  @ApiPropertyOptional({ enum: VENDOR_CATEGORIES })
  @IsOptionalNotNull()
  @IsIn(VENDOR_CATEGORIES)
  category?: VendorCategory;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: VENDOR_STATUSES })
  @IsOptionalNotNull()
  @IsIn(VENDOR_STATUSES)
  status?: VendorStatus;

  @ApiPropertyOptional({ type: ContactDto, description: 'Replaces the whole contact' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ type: DataProfileDto, description: 'Replaces the whole data profile; the tier is recomputed' })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => DataProfileDto)
  profile?: DataProfileDto;

  @ApiPropertyOptional({ description: 'The version you read; a stale one is refused with 409' })
  @IsOptionalNotNull()
  @IsInt()
  version?: number;
}

export class TierOverrideDto {
  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tier: Tier;

  @ApiProperty({ minLength: 10, maxLength: 1000, description: 'Why the computed tier does not fit' })
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'reason must explain the override in at least 10 characters' })
  @MaxLength(1000)
  reason: string;
}

export class ReasonDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
