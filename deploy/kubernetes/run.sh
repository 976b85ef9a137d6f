#!/usr/bin/env bash
# Runs the whole job with kubectl: plan -> shards (Indexed Job) -> merge.
#   deploy/kubernetes/run.sh [--by-year]
# --by-year merges each year into its own index, in parallel (merge-years-job.yaml);
# without it one pod merges everything into /data/index (merge-job.yaml).
# Needs the image edgarix:latest (deploy/Dockerfile) and the volume
# (volume.yaml) holding the mirror under /data/mirror. docs/SCALE.md.
set -euo pipefail
cd "$(dirname "$0")"
by_year=false
[[ ${1:-} == --by-year ]] && by_year=true
kubectl apply -f volume.yaml
kubectl delete job edgarix-plan edgarix-shards edgarix-merge --ignore-not-found
kubectl apply -f plan-job.yaml
kubectl wait --for=condition=complete --timeout=1h job/edgarix-plan
units=$(kubectl logs job/edgarix-plan | tail -n 1)
[[ $units =~ ^[0-9]+$ && $units -gt 0 ]] || { echo "run.sh: the plan found no units ($units)" >&2; exit 1; }
echo "run.sh: $units units"
sed "s/__COMPLETIONS__/$units/" shard-job.yaml | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=48h job/edgarix-shards
if $by_year; then
  # The years present, counted by a one-off pod on the same volume.
  years=$(kubectl run edgarix-years --rm -i --restart=Never --image=edgarix:latest \
    --overrides='{"spec":{"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"edgarix-data"}}],
      "containers":[{"name":"years","image":"edgarix:latest","args":["years","/data/shards"],
      "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}' | grep -c '^[0-9]')
  sed "s/__YEARS__/$years/" merge-years-job.yaml | kubectl apply -f -
else
  kubectl apply -f merge-job.yaml
fi
kubectl wait --for=condition=complete --timeout=24h job/edgarix-merge
