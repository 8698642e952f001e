# Translive: the front door. Each target is a line or two that calls Maven or a script.
MVN ?= mvn -B -q
JAR := target/translive.jar

.PHONY: run run-cluster test bench build progress-module clean deps-run deps-test

run: deps-run build
	java -jar $(JAR)

# NODES=3 make run-cluster: a local Hazelcast cluster on the PostgreSQL store (ports 9980, 9981, ...).
run-cluster: deps-run build
	scripts/run-cluster.sh

build: progress-module
	$(MVN) -DskipTests package

# The reusable progress layer (progress/) that the service and examples/progress-demo build on.
progress-module:
	$(MVN) -f progress/pom.xml -DskipTests install

test: deps-test
	mvn -B -f progress/pom.xml install
	mvn -B verify
	mvn -B -f examples/progress-demo/pom.xml verify

bench: deps-test build
	scripts/bench.sh

clean:
	$(MVN) clean
	$(MVN) -f progress/pom.xml clean
	$(MVN) -f examples/progress-demo/pom.xml clean

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test
	@scripts/postgres.sh start
