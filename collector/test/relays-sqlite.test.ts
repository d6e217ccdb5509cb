import { sqliteStore } from './fixtures';
import { relaysContract } from './relays-contract';

relaysContract('SQLite', sqliteStore);
