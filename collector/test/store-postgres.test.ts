import { postgresStore } from './fixtures';
import { storeContract } from './store-contract';

// A fresh schema per test (search_path), dropped afterwards: runs never see each other's rows.
storeContract('PostgreSQL', postgresStore);
