import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../auth/permissions';
import { IsOptionalNotNull } from '../../common/http/api-validation';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-hasher';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { LOCALES } from '../../i18n/i18n';
import type { UserEntity } from '../user.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'li.wei@example.com' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Li Wei' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, description: 'Initial password, to hand over privately' })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'en' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'A disabled user cannot sign in; their sessions end at once' })
  @IsOptionalNotNull()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptionalNotNull()
  @IsIn(LOCALES)
  locale?: string;
}

export class SetPasswordDto {
  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangeOwnPasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() locale: string;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ description: 'Signing in is refused until this time', nullable: true, format: 'date-time' })
  lockedUntil: string | null;
  @ApiProperty({ nullable: true, format: 'date-time' }) lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static from(u: UserEntity): UserDto {
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return Object.assign(new UserDto(), {
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      locale: u.locale,
      disabled: u.disabled,
      lockedUntil: iso(u.lockedUntil),
      lastLoginAt: iso(u.lastLoginAt),
      createdAt: iso(u.createdAt)!,
    });
  }
}

export class StaffDirectoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}
