import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../permissions';
import type { AuthUser } from '../auth-context';

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: ['en', 'zh-CN'] }) locale: string;

  static from(u: AuthUser): SessionUserDto {
    return Object.assign(new SessionUserDto(), { id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale });
  }
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Opaque session token: send it as `Authorization: Bearer <token>`' })
  token: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ format: 'date-time', description: 'Absolute expiry; the session also ends after the idle timeout' })
  expiresAt: string;
  @ApiProperty({ description: 'CSRF token for cookie-authenticated state changes (x-csrf-token header)' })
  csrfToken: string;
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
}
