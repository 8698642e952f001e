# Translive: the front door. Each target is a line or two that calls Maven or a script.
MVN ?= mvn -B -q
JAR := target/translive.jar

.PHONY: run test bench build clean deps-run deps-test

run: deps-run build
	java -jar $(JAR)

build:
	$(MVN) -DskipTests package

test: deps-test
	mvn -B verify

bench: deps-test build
	scripts/bench.sh

clean:
	$(MVN) clean

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test
	@scripts/postgres.sh start
