import { Global, Module } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { DiskEvidenceStore, EvidenceStore } from './evidence-store';
import { EvidenceUploadService } from './storage.service';
import { UploadReader } from './upload-reader';

/** Uploaded files for every feature: checked by `EvidenceUploadService`, kept in `DATA_DIR/files/`. */
@Global()
@Module({
  providers: [
    { provide: EvidenceStore, useFactory: (config: AppConfig) => new DiskEvidenceStore(path.join(config.dataDir, 'files')), inject: [AppConfig] },
    EvidenceUploadService,
    UploadReader,
  ],
  exports: [EvidenceStore, EvidenceUploadService, UploadReader],
})
export class StorageModule {}
