import { postgresStore } from './fixtures';
import { relaysContract } from './relays-contract';

relaysContract('PostgreSQL', postgresStore);
