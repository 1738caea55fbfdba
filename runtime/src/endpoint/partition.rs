//! The AWS partition table for the `aws.partition` rules function, written from AWS's public
//! region and endpoint documentation. `aws-iso` and `aws-iso-b` have no dual-stack endpoints: the
//! endpoint tests of all 20 shared AWS models (../shared/models/aws/) expect that.

use std::sync::OnceLock;

use awsjson_pattern::Pattern;

/// The outputs of `aws.partition`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// `aws`, `aws-cn`, ...
    pub name: &'static str,
    /// `amazonaws.com`, ...
    pub dns_suffix: &'static str,
    /// `api.aws`, ...
    pub dual_stack_dns_suffix: &'static str,
    /// FIPS endpoints exist.
    pub supports_fips: bool,
    /// Dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// The region global endpoints of the partition live in.
    pub implicit_global_region: &'static str,
}

struct PartitionDef {
    outputs: Partition,
    region_regex: &'static str,
    regions: &'static [&'static str],
}

const PARTITIONS: &[PartitionDef] = &[
    PartitionDef {
        outputs: Partition {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "api.aws.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-iso-east-1",
        },
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "api.aws.scloud",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isob-east-1",
        },
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "eu-isoe-west-1",
        },
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "api.aws.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-isof-south-1",
        },
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
    },
    PartitionDef {
        outputs: Partition {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "api.amazonwebservices.eu",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "eusc-de-east-1",
        },
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
    },
];

/// The region patterns, compiled by the same ECMA-262-subset matcher as `@pattern` (ASCII
/// `\w` / `\d`, as the rules' other SDK implementations read them).
fn compiled_regexes() -> &'static [Option<Pattern>] {
    static COMPILED: OnceLock<Vec<Option<Pattern>>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        PARTITIONS
            .iter()
            .map(|p| Pattern::compile(p.region_regex).ok())
            .collect()
    })
}

/// The partition of a region: an exact region match first, then the partitions' region
/// patterns, else the `aws` partition (so an unknown region still resolves, as AWS SDKs do).
pub fn partition(region: &str) -> Partition {
    if let Some(p) = PARTITIONS.iter().find(|p| p.regions.contains(&region)) {
        return p.outputs.clone();
    }
    let regexes = compiled_regexes();
    for (p, re) in PARTITIONS.iter().zip(regexes) {
        if re.as_ref().is_some_and(|re| re.is_match(region)) {
            return p.outputs.clone();
        }
    }
    PARTITIONS[0].outputs.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(partition("us-east-1").name, "aws");
        assert_eq!(partition("cn-north-1").dns_suffix, "amazonaws.com.cn");
        assert_eq!(partition("us-gov-east-9").name, "aws-us-gov");
        assert_eq!(partition("us-isob-east-1").dns_suffix, "sc2s.sgov.gov");
        assert_eq!(partition("us-isof-west-7").name, "aws-iso-f");
        assert_eq!(partition("eusc-de-east-1").name, "aws-eusc");
        assert_eq!(partition("eu-isoe-west-1").name, "aws-iso-e");
        assert_eq!(partition("mars-east-1").name, "aws");
        assert_eq!(partition("").name, "aws");
    }
}
