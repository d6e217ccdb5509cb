import { sqliteStore } from './fixtures';
import { attentionContract } from './attention-contract';

attentionContract('SQLite', sqliteStore);
