import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { CommonErrorCode, CommonException } from '../common/errors/app-exception';
import { validationException } from '../common/http/problem-details';
import { LoginDto } from './dto/login.dto';

/**
 * Runs passport-local after the body has passed the same validation as any DTO, so that
 * a malformed sign-in answers 400 with field paths rather than a bare 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      throw new CommonException(CommonErrorCode.Validation, 'The body must be an object with email and password.');
    }
    const errors = await validate(plainToInstance(LoginDto, req.body), { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length) throw validationException(errors);
    return (await super.canActivate(context)) as boolean;
  }

  /** Passes our own exceptions through untouched. */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }
}
