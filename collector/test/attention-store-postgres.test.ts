import { postgresStore } from './fixtures';
import { attentionContract } from './attention-contract';

// A fresh schema per test (search_path), dropped afterwards: runs never see each other's rows.
attentionContract('PostgreSQL', postgresStore);
