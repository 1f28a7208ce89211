# Shared by bench/kafka-compare.sh and bench/stream-compare.sh: the configuration of the real Apache Kafka 4.3.1
# broker they compare against (KRaft, broker and controller in one process, 127.0.0.1 only, replication 1).
#
#   write_kafka_config DIR LOG_FILE PARTITIONS   (uses $kafka_port and $kafka_controller_port)
write_kafka_config() {
  local dir="$1" log_file="$2" partitions="$3"
  mkdir -p "$dir/logs"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$kafka_controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$kafka_controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/logs
num.partitions=$partitions
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# A single-member group need not wait for others to join (the 3 s default only delays the first join).
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$dir/log4j2.properties" <<PROPS
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $log_file
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
PROPS
}

# Starts the broker configured by write_kafka_config in the background with the JVM settings of
# kafka-server-start.sh (the KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS defaults); sets broker_pid.
#   launch_kafka_broker DIR CLASSPATH CONSOLE_LOG
launch_kafka_broker() {
  local dir="$1" classpath="$2" console_log="$3"
  java -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$classpath" kafka.Kafka "$dir/server.properties" >"$console_log" 2>&1 &
  broker_pid=$!
}
