import { Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { AppConfig } from '../config/app-config';
import type { UserEntity } from '../users/user.entity';
import { Auth, Authenticated, Public } from './auth.decorators';
import type { AuthContext } from './auth-context';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LoginResponseDto, SessionUserDto } from './dto/session.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponseDto, description: 'The token is also set as an httpOnly cookie for pages' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts from this address' })
  async login(@Req() req: FastifyRequest & { user: UserEntity }, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponseDto> {
    const issued = await this.sessions.issue(req.user, { ip: req.ip, userAgent: req.headers['user-agent'] });
    setSessionCookie(reply, this.config, issued.token);
    const u = req.user;
    return {
      token: issued.token,
      tokenType: 'Bearer',
      expiresAt: issued.expiresAt.toISOString(),
      csrfToken: issued.csrfToken,
      user: SessionUserDto.from({ id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale }),
    };
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated()
  async logout(@Auth() auth: AuthContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(auth.sessionId, actorFromRequest(req));
    clearSessionCookie(reply, this.config);
  }

  @Get('session')
  @Authenticated()
  @ApiOkResponse({ type: SessionUserDto })
  session(@Auth() auth: AuthContext): SessionUserDto {
    return SessionUserDto.from(auth.user);
  }
}
