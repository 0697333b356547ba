import { Injectable } from '@nestjs/common';
import type { ClauseLibrary } from './clause-library';
import { loadClauseLibrary } from './clause-library-loader';

/** The clause library of `contracts/`, loaded once (main.ts has already checked it before the start). */
@Injectable()
export class ClauseLibraryService {
  readonly library: ClauseLibrary = loadClauseLibrary();
}
