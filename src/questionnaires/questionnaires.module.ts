import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuestionnaireVersionEntity } from './questionnaire-version.entity';
import { QuestionnairePagesController } from './questionnaire-pages.controller';
import { QuestionnairesController } from './questionnaires.controller';
import { QuestionnairesService } from './questionnaires.service';
import { QuestionnaireTransferService } from './questionnaire-transfer.service';

@Module({
  imports: [TypeOrmModule.forFeature([QuestionnaireVersionEntity])],
  controllers: [QuestionnairesController, QuestionnairePagesController],
  providers: [QuestionnairesService, QuestionnaireTransferService],
  exports: [QuestionnairesService],
})
export class QuestionnairesModule {}
