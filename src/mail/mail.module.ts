import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service';

/** Outgoing mail for every feature: SMTP when `SMTP_URL` is set, else `.eml` files in `DATA_DIR/outbox/`. */
@Global()
@Module({
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
