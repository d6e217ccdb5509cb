// Starts the ClickHouse the collector's third store is tested against: two servers on loopback that
// form one two-shard cluster (`sm_test`), and the ZooKeeper that ClickHouse's ON CLUSTER statements
// go through. The store contract runs on the first server alone; the two-shard test runs on both.
// As root with apt it installs Debian's clickhouse-server and zookeeper where missing; anywhere else
// it stops with the exact command. SM_TEST_CLICKHOUSE_URL set by hand skips all of this (then the
// two-shard test needs SM_TEST_CLICKHOUSE_URL_2 and SM_TEST_CLICKHOUSE_CLUSTER too).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const DIR = '/tmp/session-metrics-clickhouse';
const ZK_PORT = 12181;
const SHARDS = [
  { http: 18123, tcp: 19000, interserver: 19009 },
  { http: 18124, tcp: 19001, interserver: 19010 },
];
const CLUSTER = 'sm_test';
const ZK_JARS = '/usr/share/java/zookeeper.jar:/usr/share/java/zookeeper-jute.jar:/usr/share/java/*';

function fail(message) {
  console.error(`\n[test setup] ${message}\n`);
  process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answers(url) {
  try {
    return (await (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

function zookeeperAnswers() {
  const r = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${ZK_PORT} && echo ruok >&3 && timeout 2 cat <&3`], { encoding: 'utf8' });
  return r.stdout.includes('imok');
}

function install() {
  const missing = [];
  if (!existsSync('/usr/bin/clickhouse-server') && !existsSync('/usr/sbin/clickhouse-server')) missing.push('clickhouse-server');
  if (!existsSync('/usr/share/java/zookeeper.jar')) missing.push('zookeeper');
  if (!missing.length) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) fail(`Missing ${missing.join(' and ')}. Install with:\n  sudo ${command}\nor set SM_TEST_CLICKHOUSE_URL to a server of your own.`);
  console.log(`[test setup] installing ${missing.join(', ')} with apt-get (one time)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['update'], { stdio: 'inherit', env }).status !== 0 || spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env }).status !== 0) {
    fail(`apt-get failed; run it by hand:\n  ${command}`);
  }
}

function startDetached(cmd, args, cwd) {
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
  child.unref();
}

function serverConfig(i) {
  const dir = `${DIR}/shard${i + 1}`;
  for (const sub of ['data', 'tmp', 'log']) mkdirSync(`${dir}/${sub}`, { recursive: true });
  const { http, tcp, interserver } = SHARDS[i];
  const replicas = SHARDS.map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcp}</port></replica></shard>`).join('');
  writeFileSync(
    `${dir}/config.xml`,
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_server_memory_usage_to_ram_ratio>0.25</max_server_memory_usage_to_ram_ratio>
  <zookeeper><node><host>127.0.0.1</host><port>${ZK_PORT}</port></node></zookeeper>
  <distributed_ddl><path>/clickhouse/session-metrics-test/ddl</path></distributed_ddl>
  <remote_servers><${CLUSTER}>${replicas}</${CLUSTER}></remote_servers>
</yandex>
`,
  );
  return { dir, url: `http://127.0.0.1:${http}` };
}

/** Returns the environment the ClickHouse tests read, after the servers answer. */
export async function ensureClickHouse() {
  if (process.env.SM_TEST_CLICKHOUSE_URL) {
    return Object.fromEntries(['SM_TEST_CLICKHOUSE_URL', 'SM_TEST_CLICKHOUSE_URL_2', 'SM_TEST_CLICKHOUSE_CLUSTER'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  }
  install();
  mkdirSync(`${DIR}/zookeeper/data`, { recursive: true });
  if (!zookeeperAnswers()) {
    writeFileSync(`${DIR}/zookeeper/zoo.cfg`, `tickTime=2000\ndataDir=${DIR}/zookeeper/data\nclientPort=${ZK_PORT}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok\n`);
    console.log('[test setup] starting ZooKeeper for ClickHouse ON CLUSTER statements');
    startDetached('java', ['-Xmx256m', '-cp', ZK_JARS, `-Dzookeeper.log.dir=${DIR}/zookeeper`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', `${DIR}/zookeeper/zoo.cfg`], `${DIR}/zookeeper`);
    for (let i = 0; i < 60 && !zookeeperAnswers(); i++) await sleep(500);
    if (!zookeeperAnswers()) fail(`ZooKeeper did not answer on 127.0.0.1:${ZK_PORT} within 30 s (log: ${DIR}/zookeeper)`);
  }
  const servers = SHARDS.map((_, i) => serverConfig(i));
  for (const { dir, url } of servers) {
    if (await answers(url)) continue;
    console.log(`[test setup] starting ClickHouse at ${url}`);
    const bin = existsSync('/usr/bin/clickhouse-server') ? '/usr/bin/clickhouse-server' : '/usr/sbin/clickhouse-server';
    startDetached(bin, [`--config-file=${dir}/config.xml`], dir);
  }
  for (const { dir, url } of servers) {
    for (let i = 0; i < 60 && !(await answers(url)); i++) await sleep(500);
    if (!(await answers(url))) fail(`ClickHouse did not answer at ${url}/ping within 30 s (log: ${dir}/log/error.log)`);
  }
  return { SM_TEST_CLICKHOUSE_URL: servers[0].url, SM_TEST_CLICKHOUSE_URL_2: servers[1].url, SM_TEST_CLICKHOUSE_CLUSTER: CLUSTER };
}
