#!/usr/bin/env bash
# The main job on a fresh machine: install what is needed, build, make sample data with the
# project's own generator, train the reference recipe, evaluate it, and score one customer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product churn
churn="$(swift build -c release --show-bin-path)/churn"
mkdir -p data models
[ -f data/customers.csv ] || "$churn" synth --rows 10000 --seed 0 --out data/customers.csv
"$churn" train data/customers.csv --out models/churn.model
"$churn" evaluate models/churn.model data/customers.csv
"$churn" predict models/churn.model --row '{"CreditScore":619,"Geography":"France","Gender":"Female","Age":42,"Tenure":2,"Balance":0,"NumOfProducts":1,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":101348.88}'
